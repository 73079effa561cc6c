import "reflect-metadata";
import { serviceSdl } from "@yhdyspinta/core";
import { groupsService } from "./service.ts";

process.stdout.write(await serviceSdl(groupsService));
