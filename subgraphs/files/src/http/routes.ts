// The service's HTTP routes beside /graphql: downloads and previews by signed URL, and on local
// disk the uploads (with S3, clients upload to the bucket).
import type { RouteHandler } from '@builderai/kit';
import type { FilesDeps } from '../deps.js';
import { DOWNLOAD_PATH, PREVIEW_PREFIX } from '../domain/links.js';
import { isLocalDisk, UPLOAD_PATH } from '../storage/local-disk-storage.js';
import { downloadRoute } from './download-route.js';
import { previewRoute } from './preview-route.js';
import { uploadRoute } from './upload-route.js';

export function filesRoutes(deps: FilesDeps): Record<string, RouteHandler> {
  const routes: Record<string, RouteHandler> = { [DOWNLOAD_PATH]: downloadRoute(deps), [`${PREVIEW_PREFIX}*`]: previewRoute(deps) };
  if (isLocalDisk(deps.storage)) routes[UPLOAD_PATH] = uploadRoute(deps, deps.storage);
  return routes;
}
