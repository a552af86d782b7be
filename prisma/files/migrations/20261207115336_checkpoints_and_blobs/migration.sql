-- Content stored once per user and SHA-256 (blobs), and checkpoints of the files of projects.

-- One order for checkpoints and the changes users make themselves: after checkpoint K means a greater position.
CREATE SEQUENCE "file_change_positions" AS BIGINT;

-- CreateEnum
CREATE TYPE "CheckpointKind" AS ENUM ('AI_TURN', 'RESTORE');

-- CreateEnum
CREATE TYPE "FileChangeAction" AS ENUM ('ADDED', 'MODIFIED', 'DELETED');

-- AlterTable
ALTER TABLE "files" ADD COLUMN     "blob_id" UUID;

-- CreateTable
CREATE TABLE "blobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" "CheckpointKind" NOT NULL,
    "message_id" UUID,
    "restored_from_id" UUID,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoint_files" (
    "checkpoint_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "blob_id" UUID NOT NULL,
    "type" TEXT NOT NULL,

    CONSTRAINT "checkpoint_files_pkey" PRIMARY KEY ("checkpoint_id","path")
);

-- CreateTable
CREATE TABLE "checkpoint_changes" (
    "checkpoint_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "action" "FileChangeAction" NOT NULL,
    "previous_blob_id" UUID,
    "previous_type" TEXT,
    "blob_id" UUID,
    "type" TEXT,

    CONSTRAINT "checkpoint_changes_pkey" PRIMARY KEY ("checkpoint_id","path")
);

-- CreateTable
CREATE TABLE "user_file_changes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "path" TEXT NOT NULL,
    "action" "FileChangeAction" NOT NULL,
    "position" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_file_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "blobs_created_at_idx" ON "blobs"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "blobs_user_id_sha256_key" ON "blobs"("user_id", "sha256");

-- CreateIndex
CREATE INDEX "checkpoints_project_id_position_idx" ON "checkpoints"("project_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoints_project_id_message_id_key" ON "checkpoints"("project_id", "message_id");

-- CreateIndex
CREATE INDEX "checkpoint_files_blob_id_idx" ON "checkpoint_files"("blob_id");

-- CreateIndex
CREATE INDEX "checkpoint_changes_previous_blob_id_idx" ON "checkpoint_changes"("previous_blob_id");

-- CreateIndex
CREATE INDEX "checkpoint_changes_blob_id_idx" ON "checkpoint_changes"("blob_id");

-- CreateIndex
CREATE INDEX "user_file_changes_project_id_path_position_idx" ON "user_file_changes"("project_id", "path", "position");

-- CreateIndex
CREATE INDEX "files_blob_id_idx" ON "files"("blob_id");

-- AddForeignKey
ALTER TABLE "files" ADD CONSTRAINT "files_blob_id_fkey" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_restored_from_id_fkey" FOREIGN KEY ("restored_from_id") REFERENCES "checkpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_files" ADD CONSTRAINT "checkpoint_files_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_files" ADD CONSTRAINT "checkpoint_files_blob_id_fkey" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_changes" ADD CONSTRAINT "checkpoint_changes_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_changes" ADD CONSTRAINT "checkpoint_changes_previous_blob_id_fkey" FOREIGN KEY ("previous_blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint_changes" ADD CONSTRAINT "checkpoint_changes_blob_id_fkey" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Existing READY files: one blob per (user, checksum), keeping the object of the oldest file
-- with those bytes. The other files point at it, and their own copies are deleted.
INSERT INTO "blobs" ("user_id", "sha256", "size", "key", "created_at")
SELECT DISTINCT ON (f."user_id", m."checksum") f."user_id", m."checksum", f."size", m."storage_location", f."created_at"
FROM "files" f JOIN "file_metadata" m ON m."file_id" = f."id"
WHERE f."status" = 'READY' AND m."checksum" IS NOT NULL
ORDER BY f."user_id", m."checksum", f."created_at", f."id";

UPDATE "files" f SET "blob_id" = b."id"
FROM "file_metadata" m, "blobs" b
WHERE m."file_id" = f."id" AND f."status" = 'READY' AND b."user_id" = f."user_id" AND b."sha256" = m."checksum";

INSERT INTO "object_deletions" ("key")
SELECT m."storage_location"
FROM "files" f JOIN "file_metadata" m ON m."file_id" = f."id" JOIN "blobs" b ON b."id" = f."blob_id"
WHERE m."storage_location" <> b."key";

-- The storage URI ends with the object key (s3://bucket/<key>, file:///dir/<key>).
UPDATE "files" f SET "url" = left(f."url", length(f."url") - length(m."storage_location")) || b."key"
FROM "file_metadata" m, "blobs" b
WHERE m."file_id" = f."id" AND b."id" = f."blob_id" AND m."storage_location" <> b."key" AND right(f."url", length(m."storage_location")) = m."storage_location";

UPDATE "file_metadata" m SET "storage_location" = b."key"
FROM "files" f, "blobs" b
WHERE m."file_id" = f."id" AND b."id" = f."blob_id" AND m."storage_location" <> b."key";

-- Used space is what is stored: each blob once.
INSERT INTO "storage_quotas" ("user_id") SELECT DISTINCT "user_id" FROM "blobs" ON CONFLICT ("user_id") DO NOTHING;
UPDATE "storage_quotas" q SET "used_space" = COALESCE((SELECT sum(b."size") FROM "blobs" b WHERE b."user_id" = q."user_id"), 0), "updated_at" = now();
