// Object storage in a local directory: the embedded default. There is no bucket to presign
// for, so upload URLs point at the service's own `PUT /uploads?token=...` (http/upload-route.ts),
// which streams into `write`.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { HttpError } from '@builderai/kit';
import type { TokenSigner } from '../domain/signed-tokens.js';
import type { ObjectStorage } from './object-storage.js';

export const UPLOAD_PATH = '/uploads';

export interface LocalDiskStorage extends ObjectStorage {
  readonly kind: 'local-disk';
  /** Streams bytes into the object; HTTP 413 (and nothing stored) past `maxBytes`. Returns the size. */
  write(key: string, bytes: Readable, maxBytes: number): Promise<number>;
}

export const isLocalDisk = (storage: ObjectStorage): storage is LocalDiskStorage => storage.kind === 'local-disk';

export interface LocalDiskOptions {
  dir: string;
  tokens: TokenSigner;
  /** The service's public base URL, known once it listens. */
  publicUrl: () => string;
}

// Keys are made of ids (domain/object-keys.ts); anything else must not touch the disk.
const SAFE_KEY = /^[a-zA-Z0-9-]+(\/[a-zA-Z0-9-]+)*$/;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function createLocalDiskStorage({ dir, tokens, publicUrl }: LocalDiskOptions): LocalDiskStorage {
  const root = path.resolve(dir);
  const fileOf = (key: string) => {
    if (!SAFE_KEY.test(key)) throw new Error(`not an object key: ${key}`);
    return path.join(root, key);
  };

  // Written aside and renamed into place, so a broken write never looks like an object.
  async function write(key: string, bytes: Readable, maxBytes: number): Promise<number> {
    const file = fileOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString('hex')}.part`;
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) done(new HttpError(413, `The upload is larger than the declared ${maxBytes} bytes`, 'PAYLOAD_TOO_LARGE'));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(bytes, limit, createWriteStream(partial));
      await rename(partial, file);
      return size;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  return {
    kind: 'local-disk',

    async presignPut(key, { fileId, contentType, size, expiresAt }) {
      const token = tokens.sign('upload', { fileId, key, size, contentType }, expiresAt);
      return { url: `${publicUrl()}${UPLOAD_PATH}?token=${token}`, headers: { 'content-type': contentType } };
    },

    async head(key) {
      try {
        return { size: (await stat(fileOf(key))).size };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async readRange(key, offset, length) {
      const handle = await open(fileOf(key), 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },

    async read(key) {
      const file = fileOf(key);
      await access(file);
      return createReadStream(file);
    },

    write,

    async put(key, bytes) {
      await write(key, Readable.from([bytes]), bytes.length);
    },

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },

    async copy(fromKey, toKey) {
      const target = fileOf(toKey);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(fileOf(fromKey), target);
    },

    uriOf: (key) => pathToFileURL(fileOf(key)).href,

    async ping() {
      await mkdir(root, { recursive: true });
      await access(root);
    },
  };
}
