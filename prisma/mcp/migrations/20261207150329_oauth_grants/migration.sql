-- CreateEnum
CREATE TYPE "McpGrantStatus" AS ENUM ('ACTIVE', 'REAUTHORIZE');

-- AlterTable
ALTER TABLE "servers" ADD COLUMN     "auth_required" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "oauth_grants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "server_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "McpGrantStatus" NOT NULL DEFAULT 'ACTIVE',
    "authorization_server" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "resource" TEXT,
    "scope" TEXT,
    "sealed_tokens" TEXT NOT NULL,
    "sealed_client" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "refresh_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_flows" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "state_hash" TEXT NOT NULL,
    "server_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "sealed_flow" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_flows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "oauth_grants_refresh_at_idx" ON "oauth_grants"("refresh_at");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_grants_server_id_user_id_key" ON "oauth_grants"("server_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_flows_state_hash_key" ON "oauth_flows"("state_hash");

-- AddForeignKey
ALTER TABLE "oauth_grants" ADD CONSTRAINT "oauth_grants_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oauth_flows" ADD CONSTRAINT "oauth_flows_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

