declare module "*.graphql" {
  const text: string;
  export default text;
}
declare module "*.css";
/** The county list (code and Finnish name), from the reference data at build time. */
declare const __COUNTIES__: { code: string; name: string }[];
