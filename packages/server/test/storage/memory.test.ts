import { createMemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { runStorageConformance } from './conformance.ts';

runStorageConformance('memory', async (clock) => createMemoryStorage(clock));
