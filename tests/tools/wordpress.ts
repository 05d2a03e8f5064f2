/**
 * A test WordPress to look at by hand (the same one the e2e tests start), seeded with a post whose
 * Image blocks have no alt text and attachments without alt:
 *
 *   npx tsx tests/tools/wordpress.ts
 *
 * Prints the address and the admin's password; Ctrl-C (or Enter) stops it and removes its folder.
 */
import { createInterface } from 'node:readline';
import { headingBlock, imageBlock, paragraphBlock, startWordPress } from '../support/wordpress';

const wp = await startWordPress();
const [red, blue, green] = await wp.createAttachments([
  { file: 'tests/fixtures/img/red.png', title: 'red' },
  { file: 'tests/fixtures/img/blue.png', title: 'blue', alt: 'A blue square' },
  { file: 'tests/fixtures/img/green.png', title: 'green' },
]);
const post = await wp.createPost({
  title: 'Colours of the garden',
  content: [
    headingBlock('Spring'),
    paragraphBlock('The first flowers came out in March.'),
    imageBlock(red, { caption: 'Poppies by the gate' }),
    paragraphBlock('Then the sky cleared.'),
    imageBlock(blue, { alt: 'A blue square' }),
    imageBlock(green),
  ].join('\n\n'),
});
console.log(`WordPress 6.1 up in ${(wp.timings.total / 1000).toFixed(1)} s (${JSON.stringify(wp.timings)})
  ${wp.url}/wp-login.php   user ${wp.user}   password ${wp.password}
  block editor:     ${wp.url}/wp-admin/post.php?post=${post.id}&action=edit
  media library:    ${wp.url}/wp-admin/upload.php?mode=grid
  attachment page:  ${wp.url}/wp-admin/post.php?post=${green.id}&action=edit
Enter or Ctrl-C stops it.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await wp.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
createInterface({ input: process.stdin }).on('line', stop).on('close', stop);
