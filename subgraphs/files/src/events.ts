// What the files service publishes, declared once; consumers import these contracts. Each is
// written to the outbox inside the transaction of the change it announces.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const ref = { fileId: id, projectId: id, userId: id, size: z.number().int().nonnegative() };

export const filesEvents = defineEvents('files', {
  'files.file.uploaded': z
    .object({ ...ref, name: z.string(), path: z.string(), contentType: z.string() })
    .describe('a file became READY: uploaded and verified, or copied with its project'),
  'files.file.deleted': z.object(ref).describe('a READY file is gone: deleted, replaced by a new upload to its path, or deleted with its project'),
});
