// The benchmark's big page, shared with anything that wants to reproduce its figures.
/** 5,000 candidates in the mix a real page has: sections with headings, links, hidden parts. */
export function generatedPage(count = 5000): string {
  const colours = ['red', 'green', 'blue', 'yellow', 'orange', 'purple'];
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    if (i % 20 === 0) parts.push(`${i ? '</section>' : ''}<section><h2>Section ${i / 20}</h2><p>Some words about section ${i / 20}.</p>`);
    const src = `/img/${colours[i % colours.length]}.png`;
    switch (i % 12) {
      case 0: case 1: parts.push(`<img src="${src}" width="40" height="30">`); break;
      case 2: parts.push(`<a href="/item/${i}"><img src="${src}" width="40" height="30"> Item ${i}</a>`); break;
      case 3: parts.push(`<img src="${src}" alt="" width="40" height="30">`); break;
      case 4: parts.push(`<img src="${src}" alt="A ${colours[i % 6]} square, number ${i}" width="40" height="30">`); break;
      case 5: parts.push(`<img src="${src}" alt="IMG_${1000 + i}.jpg" width="40" height="30">`); break;
      case 6: parts.push(`<div role="img" style="width:20px;height:20px;background:${colours[i % 6]}"></div>`); break;
      case 7: parts.push(`<svg role="img" width="20" height="20"><title>Dot ${i}</title><circle cx="10" cy="10" r="8"/></svg>`); break;
      case 8: parts.push(`<input type="image" src="${src}" width="40" height="30">`); break;
      case 9: parts.push(`<div style="display:none"><img src="${src}"></div>`); break;
      case 10: parts.push(`<img src="${src}" aria-hidden="true" width="40" height="30">`); break;
      default: parts.push(`<img src="${src}" title="Square ${i}" width="40" height="30">`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>5,000 images</title></head><body><h1>Generated</h1>${parts.join('\n')}</section></body></html>`;
}
