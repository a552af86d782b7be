// The little of a Prisma client the event kit needs. Any generated client
// (and the client a $transaction callback receives) fits, so the kit never
// imports a service's generated code.

export interface RawSql {
  $executeRawUnsafe(query: string, ...values: any[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: any[]): Promise<T>;
}

export interface TransactionalSql extends RawSql {
  // Prisma's interactive transaction; `options` takes e.g. { timeout, maxWait }.
  $transaction<R>(fn: (tx: RawSql) => Promise<R>, options?: any): Promise<R>;
}
