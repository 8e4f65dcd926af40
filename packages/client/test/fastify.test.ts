import { runAdapterSuite } from './support/adapter-suite.ts';
import { startFastifyApp } from './support/apps.ts';

runAdapterSuite('fastify', startFastifyApp);
