/** This package's version (kept in step with package.json by a test). */
export const OPTEL_VERSION = '0.1.0';
