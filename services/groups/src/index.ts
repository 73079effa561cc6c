export { groupsService } from "./service.ts";
