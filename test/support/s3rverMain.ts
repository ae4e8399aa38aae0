/**
 * A real S3-protocol server for the tests: s3rver (npm), filesystem-backed, on a free loopback
 * port, in a process of its own. Prints one JSON line `{"port": N}` once it listens.
 * Usage: node s3rverMain.js DIRECTORY BUCKET…
 */
import S3rver from 's3rver';

interface ListOptions {
  delimiter?: string;
  prefix?: string;
  maxKeys?: number;
  startAfter?: string;
}
interface ListResult {
  objects: Array<{ key: string }>;
  commonPrefixes: string[];
  isTruncated: boolean;
}
type ListObjects = (this: unknown, bucket: string, o: ListOptions) => Promise<ListResult>;

/**
 * s3rver 3.7.1 lists with a delimiter by walking only one folder level below the prefix, so a
 * "folder" that holds only deeper keys (runs/<id>/<step>/… has no object of its own) is missing
 * from CommonPrefixes; AWS S3, MinIO, Ceph RGW and R2 all list it. This makes s3rver do what they
 * do: walk everything under the prefix, then group by the delimiter (one page; the tests' listings
 * are small).
 */
function listLikeS3(): void {
  const store = (require('s3rver/lib/stores/filesystem') as { prototype: { listObjects: ListObjects } }).prototype;
  const original = store.listObjects;
  store.listObjects = async function (bucket, o) {
    if (!o.delimiter) return original.call(this, bucket, o);
    const all = await original.call(this, bucket, { ...o, delimiter: '', maxKeys: Infinity });
    const prefix = o.prefix ?? '';
    const prefixes = new Set<string>();
    const objects = all.objects.filter((obj) => {
      const i = obj.key.slice(prefix.length).indexOf(o.delimiter!);
      if (i < 0) return true;
      prefixes.add(obj.key.slice(0, prefix.length + i + o.delimiter!.length));
      return false;
    });
    return { objects, commonPrefixes: [...prefixes].sort(), isTruncated: false };
  };
}

async function main(): Promise<void> {
  listLikeS3();
  const [directory, ...buckets] = process.argv.slice(2);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The test process is the only reason to live: when it goes, so does the server.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

void main();
