import "reflect-metadata";
import { runServiceCli } from "@yhdyspinta/core";
import { groupsService } from "./service.ts";

await runServiceCli(groupsService);
