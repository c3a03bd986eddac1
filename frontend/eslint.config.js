import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Import boundaries (bulletproof-react): app -> features -> shared, and no feature imports another.
// A feature is a folder under src/features/, except src/features/admin/, whose sub-folders are features.
const subdirs = (dir) =>
  readdirSync(new URL(dir, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const features = subdirs('./src/features/').flatMap((name) =>
  name === 'admin' ? subdirs('./src/features/admin/').map((area) => `admin/${area}`) : [name],
);
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const appImport = { regex: '^@/app(/|$)', message: 'Only src/app/ composes routes; import nothing from it.' };
const climbOut = {
  regex: '^\\.\\./\\.\\./',
  message: 'Reach outside this feature through "@/…" (shared code only), not "../../".',
};

const featureBoundaries = features.map((feature) => ({
  files: [`src/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          appImport,
          climbOut,
          {
            regex: `^@/features/(?!${escape(feature)}/)`,
            message: 'Features must not import each other; compose them in src/app/ or move the code to shared.',
          },
        ],
      },
    ],
  },
}));

const sharedBoundaries = {
  files: ['src/{components,config,hooks,lib,testing,utils}/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          appImport,
          {
            regex: '^(@/|(\\.\\./)+)features(/|$)',
            message: 'Shared code must not depend on features.',
          },
        ],
      },
    ],
  },
};

export default defineConfig([
  globalIgnores(['dist', 'src/gql']),
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['*.js', 'scripts/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  ...featureBoundaries,
  sharedBoundaries,
]);
