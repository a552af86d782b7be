-- CreateEnum
CREATE TYPE "GenerationState" AS ENUM ('RUNNING', 'COMPLETED', 'FAILED');

-- CreateTable
CREATE TABLE "project_generations" (
    "project_id" UUID NOT NULL,
    "generation_id" UUID NOT NULL,
    "state" "GenerationState" NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "project_generations_pkey" PRIMARY KEY ("project_id","generation_id")
);

-- CreateIndex
CREATE INDEX "project_generations_project_id_state_idx" ON "project_generations"("project_id", "state");

-- AddForeignKey
ALTER TABLE "project_generations" ADD CONSTRAINT "project_generations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

