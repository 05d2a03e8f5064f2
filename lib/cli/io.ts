import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Where a command's output goes: stdout (a terminal, a pipe, a file) or `--out FILE`. Every write
 * waits for its callback, so a command that has returned has handed all of its output to the
 * operating system: nothing is cut off by an early exit, at any size, to a pipe or a file.
 */
export interface Sink {
  write(text: string): Promise<void>;
  /** Finishes the output (a file is closed; stdout stays open for the process). */
  close(): Promise<void>;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });

export function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((ok, fail) => {
    stream.write(text, (error) => (error ? fail(error) : ok()));
  });
}

export function streamSink(stream: NodeJS.WritableStream): Sink {
  return { write: (text) => writeTo(stream, text), close: async () => undefined };
}

/** A file written as output arrives (JSON Lines streams into it), closed and flushed by close(). */
export async function fileSink(path: string): Promise<Sink> {
  const stream = createWriteStream(path);
  await Promise.race([once(stream, 'open'), once(stream, 'error').then(([e]) => Promise.reject(e))]);
  return {
    write: (text) => writeTo(stream, text),
    close: () => new Promise((ok, fail) => {
      stream.once('error', fail);
      stream.end(() => ok());
    }),
  };
}

/** Reads a whole stream (stdin) as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
