// Who may see and change a project: the kit's ownership rule (owner changes, admins read,
// anyone else gets NOT_FOUND), for projects.
import { changeable as changeableRow, readable as readableRow, type Viewer } from '@builderai/kit';

export { canRead, viewerOf, type Viewer } from '@builderai/kit';

export const readable = <P extends { userId: string }>(viewer: Viewer, project: P | null) => readableRow(viewer, project, 'Project');
export const changeable = <P extends { userId: string }>(viewer: Viewer, project: P | null) => changeableRow(viewer, project, 'Project');
