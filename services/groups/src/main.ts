import "reflect-metadata";
import { runServiceProcess } from "@yhdyspinta/core";
import { groupsService } from "./service.ts";

await runServiceProcess(groupsService);
