import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// Testing Library only cleans up by itself when vitest globals are on; we keep them off.
afterEach(() => cleanup());
