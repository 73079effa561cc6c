declare module "*.graphql" {
  const text: string;
  export default text;
}
declare module "*.css";
/** The county list (code; name in Finnish, Swedish and English), from the reference data at build time. */
declare const __COUNTIES__: { code: string; name: { fi: string; sv: string; en: string } }[];
