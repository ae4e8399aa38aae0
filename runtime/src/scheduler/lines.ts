/** Splits a byte stream into lines, keeping a trailing partial line until the stream ends. */
import type { Readable } from 'node:stream';

export function onLines(stream: Readable, onLine: (line: string) => void, onRaw?: (chunk: string) => void): Promise<void> {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    onRaw?.(chunk);
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  return new Promise((resolve) => {
    stream.on('end', () => {
      if (buf) onLine(buf);
      resolve();
    });
    stream.on('error', () => resolve());
  });
}
