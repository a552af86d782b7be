-- CreateEnum
CREATE TYPE "McpToolConsent" AS ENUM ('ASK', 'ALWAYS', 'NEVER');

-- CreateTable
CREATE TABLE "tool_consents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "server_id" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "consent" "McpToolConsent" NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tool_consents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tool_consents_server_id_tool_key" ON "tool_consents"("server_id", "tool");

-- AddForeignKey
ALTER TABLE "tool_consents" ADD CONSTRAINT "tool_consents_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

