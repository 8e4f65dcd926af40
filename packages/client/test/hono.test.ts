import { runAdapterSuite } from './support/adapter-suite.ts';
import { startHonoApp } from './support/apps.ts';

runAdapterSuite('hono', startHonoApp);
