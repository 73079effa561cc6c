/** The part of madge's programmatic API the tests use (the package ships no types). */
declare module "madge" {
  interface MadgeConfig {
    baseDir?: string;
    fileExtensions?: string[];
    excludeRegExp?: RegExp[];
    tsConfig?: string;
  }
  interface MadgeInstance {
    /** Each module (path relative to baseDir) with the modules it imports. */
    obj(): Record<string, string[]>;
    /** Every import cycle, as the list of modules on it. */
    circular(): string[][];
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeInstance>;
}
