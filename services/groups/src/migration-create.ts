import "reflect-metadata";
import { createMigration } from "@yhdyspinta/core";
import { groupsService } from "./service.ts";

await createMigration(groupsService, new URL("./migrations", import.meta.url).pathname, process.argv[2]);
