/** A User as users resolvers pass it around: the key, with fields loaded on demand. */
export interface UserRef {
  id: string;
}
