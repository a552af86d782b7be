-- DropForeignKey
ALTER TABLE "project_files" DROP CONSTRAINT "project_files_project_id_fkey";

-- DropTable
DROP TABLE "project_files";

