// The short-lived signed URLs the service hands out for downloads and previews, and the paths
// its HTTP routes answer on.
import type { TokenSigner } from './signed-tokens.js';

export const DOWNLOAD_PATH = '/downloads';
export const PREVIEW_PREFIX = '/preview/';
/** What a preview URL opens, and what a directory of a preview serves. */
export const PREVIEW_INDEX = 'index.html';

export interface Links {
  /** Downloads the file as an attachment until the URL expires. */
  downloadUrl(fileId: string): string;
  /** Opens the project's index.html; its relative links resolve under the same signed path. */
  previewUrl(projectId: string): string;
}

export interface LinksOptions {
  tokens: TokenSigner;
  publicUrl: () => string;
  previewUrl: () => string;
  downloadTtlSeconds: number;
  previewTtlSeconds: number;
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);

export function createLinks(options: LinksOptions): Links {
  return {
    downloadUrl(fileId) {
      const token = options.tokens.sign('download', { fileId }, inSeconds(options.downloadTtlSeconds));
      return `${options.publicUrl()}${DOWNLOAD_PATH}?token=${token}`;
    },
    previewUrl(projectId) {
      const token = options.tokens.sign('preview', { projectId }, inSeconds(options.previewTtlSeconds));
      return `${options.previewUrl()}${PREVIEW_PREFIX}${projectId}/${token}/${PREVIEW_INDEX}`;
    },
  };
}
