// The files of each project, kept in step with the files service by its events: the link
// lives here, the file's bytes and metadata stay with files.
import type { RawSql } from '@builderai/kit';
import { fileTypeOf } from './file-types.js';

export interface UploadedFile {
  fileId: string;
  projectId: string;
  userId: string;
  contentType?: string | null;
}

/**
 * Links an uploaded file to its project, only if the project exists and belongs to the user
 * who uploaded it. Returns whether a link was made; linking the same file again changes nothing.
 */
export async function linkUploadedFile(tx: RawSql, file: UploadedFile): Promise<boolean> {
  const linked = await tx.$executeRawUnsafe(
    `INSERT INTO project_files (project_id, file_id, type)
     SELECT id, $2::uuid, $4 FROM projects WHERE id = $1::uuid AND user_id = $3::uuid
     ON CONFLICT (project_id, file_id) DO NOTHING`,
    file.projectId,
    file.fileId,
    file.userId,
    fileTypeOf(file.contentType),
  );
  return linked > 0;
}

/** Removes a deleted file from whichever project lists it. */
export async function unlinkDeletedFile(tx: RawSql, fileId: string): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM project_files WHERE file_id = $1::uuid`, fileId);
}
