import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
);
