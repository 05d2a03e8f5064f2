import { describe, expect, it } from 'vitest';
import { fixtureDocument } from '../support/cms-fixture';
import { fill, inspect, undo } from '@/lib/cms';
import { generic } from '@/lib/cms/generic';
import { isAltLabel } from '@/lib/cms/dom';

const form = () => fixtureDocument('generic-form.html', 'http://127.0.0.1:8080/cms/generic-form.html');

describe('generic adapter on a fixture form', () => {
  it('lists the alt fields beside an image preview, labelled in English, French, German and Spanish', () => {
    const found = inspect(form())!;
    expect(found.screen).toEqual({ cms: 'generic', place: 'form', label: 'Image form' });
    expect(found.fields.map((f) => [f.src.replace('http://127.0.0.1:8080/img/', ''), f.label, f.alt, f.context.lang])).toEqual([
      ['red.png', 'Alt text', '', 'en'],
      ['blue.png', 'Texte alternatif', 'Un carré bleu', 'fr'],
      ['green.png', 'Alternativtext', '', 'de'],
      ['yellow.png', 'Texto alternativo', '', 'es'],
    ]);
  });

  it('leaves out the chrome and the look-alikes: avatar and logo, a Description field, alt text with no image, hidden and read-only fields', () => {
    const doc = form();
    const listed = inspect(doc)!.fields.map((f) => f.src);
    expect(listed).not.toContain('http://127.0.0.1:8080/img/purple.png');
    expect(listed).not.toContain('http://127.0.0.1:8080/img/orange.png');
    expect(listed).toHaveLength(4);
  });

  it('takes the title and the image’s own caption from the form, and says how to save', () => {
    const [red, blue] = inspect(form())!.fields;
    expect(red.context).toEqual({ postTitle: 'Colours of the garden', caption: 'Poppies by the gate', lang: 'en' });
    expect(blue.context).toEqual({ postTitle: 'Colours of the garden', lang: 'fr' });
    expect(red.save).toEqual({ kind: 'with-post', button: 'Save article', hint: 'Click Save article in the editor to save' });
  });

  it('writes with input and change events, keeps what a person wrote unless asked, and undoes', () => {
    const doc = form();
    const found = inspect(doc)!;
    const [red, blue] = found.fields;
    const events: string[] = [];
    doc.addEventListener('input', (e) => events.push(`input:${(e.target as HTMLTextAreaElement).value}`));
    doc.addEventListener('change', (e) => events.push(`change:${(e.target as HTMLTextAreaElement).value}`));
    expect(fill(doc, [{ key: red.key, alt: 'Red poppies by a gate' }, { key: blue.key, alt: 'Blue' }], found)).toEqual([
      { key: red.key, ok: true, previous: '', written: 'Red poppies by a gate', save: red.save },
      { key: blue.key, ok: false, reason: 'It already has alt text a person wrote; choose overwrite to replace it' },
    ]);
    expect(events).toEqual(['input:Red poppies by a gate', 'change:Red poppies by a gate']);
    // Keys stay the same for the document's life: a later inspection finds the same fields.
    const again = inspect(doc)!;
    expect(again.fields.map((f) => f.key)).toEqual(found.fields.map((f) => f.key));
    expect(again.fields[0].alt).toBe('Red poppies by a gate');
    expect(undo(doc, [{ key: red.key, previous: '', written: 'Red poppies by a gate' }], again)).toEqual([
      { key: red.key, ok: true, alreadySaved: false, save: red.save },
    ]);
    expect(inspect(doc)!.fields[0].alt).toBe('');
  });

  it('is not recognised on a page with no alt field', () => {
    const doc = new DOMParser().parseFromString('<img src="a.png"><label>Caption <textarea></textarea></label>', 'text/html');
    expect(generic.recognise(doc)).toBeNull();
  });

  it('gives no preview when which picture goes with which field would be a guess', () => {
    const doc = new DOMParser().parseFromString(
      '<div><img src="a.png" width="100" height="80"><img src="b.png" width="100" height="80"><div><div><input aria-label="Alt text"></div><div><input aria-label="Alt text"></div></div></div>',
      'text/html',
    );
    expect(inspect(doc)).toBeNull();
  });
});

describe('alt field labels', () => {
  it.each([
    'Alt text', 'ALT TEXT:', 'Alt-Text', 'Alt text (alternative text)', 'Alternative Text', 'Alternate text', 'Image description', 'Alt attribute', 'Alt',
    'Texte alternatif', 'Texte de remplacement', "Description de l’image", 'Attribut alt',
    'Alternativtext', 'Alternativer Text', 'Bildbeschreibung', 'Alt-Attribut',
    'Texto alternativo', 'Descripción de la imagen', 'Texto ALT',
    'Testo alternativo', 'Alternatieve tekst',
  ])('"%s" names an alt field', (label) => expect(isAltLabel(label)).toBe(true));

  it.each(['Description', 'Title', 'Caption', 'Alternative title', 'Alt+Shift shortcut', 'Altitude', 'Image', 'Texto', 'Alternate email'])(
    '"%s" does not',
    (label) => expect(isAltLabel(label)).toBe(false),
  );
});
