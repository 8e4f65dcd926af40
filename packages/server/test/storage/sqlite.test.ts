import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import { runStorageConformance } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStorageConformance('sqlite', async (clock) => openSqliteStorage(join(dir, 'usher.db'), clock));
