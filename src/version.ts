// The tool version printed in reports and `cite` blocks; kept equal to package.json by a test.
export const VERSION = '0.1.0';
