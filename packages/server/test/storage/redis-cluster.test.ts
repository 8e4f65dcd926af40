import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import { redisTopologySuite, startRedisCluster, topologyConfig } from './redis-topology.ts';

// A private 3-master Redis Cluster, started for this file and gone after it.
redisTopologySuite('redis cluster', startRedisCluster, (cluster) => {
  runStorageConformance('redis cluster', (clock) =>
    openRedisStorage(topologyConfig(cluster()), clock, silentLogger),
  );
});
