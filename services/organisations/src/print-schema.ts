import "reflect-metadata";
import { serviceSdl } from "@yhdyspinta/core";
import { organisationsService } from "./service.ts";

process.stdout.write(await serviceSdl(organisationsService));
