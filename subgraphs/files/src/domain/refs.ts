/** Entities of other services as files resolvers pass them around: the key only. */
export interface UserRef {
  id: string;
}

export interface ProjectRef {
  id: string;
}
