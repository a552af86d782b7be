import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;
/** The client inside db.$transaction: its writes commit or roll back together. */
export type Tx = Prisma.TransactionClient;
