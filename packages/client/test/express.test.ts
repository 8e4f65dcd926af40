import { runAdapterSuite } from './support/adapter-suite.ts';
import { startExpressApp } from './support/apps.ts';

runAdapterSuite('express', startExpressApp);
