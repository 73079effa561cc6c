export { organisationsService } from "./service.ts";
