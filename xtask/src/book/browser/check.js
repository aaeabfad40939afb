// The browser check's page: loads each page of the plan in an iframe of each width, under each
// theme, measures what the reader would see, and POSTs the findings to the server that served
// it (xtask/src/book/browser.rs reads them). The rules are written down in browser.rs.
'use strict';

const REPORT = '/__check/report';

async function main() {
  const plan = await (await fetch('/__check/plan.json')).json();
  const report = { views: 0, problems: [], notes: [] };
  const svgCache = new Map();
  const frame = document.createElement('iframe');
  frame.style.border = '0';
  frame.style.height = '900px';
  document.body.append(frame);
  for (const theme of plan.themes) {
    // mdbook's head script reads the theme from here before the first layout.
    localStorage.setItem('mdbook-theme', theme);
    for (const width of plan.widths) {
      frame.style.width = `${width}px`;
      for (const page of plan.pages) {
        const view = { page, width, theme };
        try {
          await load(frame, `/${page}`);
          const found = await checkPage(frame.contentWindow, plan, svgCache);
          report.problems.push(...found.problems.map((p) => ({ ...view, ...p })));
          report.notes.push(...found.notes.map((n) => ({ ...view, ...n })));
        } catch (error) {
          report.problems.push({ ...view, rule: 'load', element: page, detail: String(error) });
        }
        report.views += 1;
      }
    }
  }
  await fetch(REPORT, { method: 'POST', body: JSON.stringify(report) });
}

// Loads `url` in the frame and waits until its fonts and images are in, so that layout is final.
async function load(frame, url) {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${url} did not load in 30 s`)), 30000);
    frame.onload = () => { clearTimeout(timer); resolve(); };
    frame.src = url;
  });
  const doc = frame.contentDocument;
  await doc.fonts.ready;
  await Promise.all([...doc.images].map((img) => img.decode().catch(() => {})));
  await new Promise((resolve) => frame.contentWindow.requestAnimationFrame(() => resolve()));
}

async function checkPage(win, plan, svgCache) {
  const problems = [];
  const notes = [];
  overflow(win, problems, notes);
  await svgs(win, plan, svgCache, problems);
  return { problems, notes };
}

// ---- Sideways scrolling -------------------------------------------------------------------

// Every element of the text that reaches past the right edge of the window must sit in a box
// of the text that scrolls by itself (a code block, a table's wrapper, a display-math box) and
// fits the window; otherwise the page scrolls sideways (mdbook's `.content` column scrolls,
// prose and all) or is cut off. Only the outermost culprit is named.
function overflow(win, problems, notes) {
  const doc = win.document;
  const right = doc.documentElement.clientWidth + 0.5;
  const main = doc.querySelector('main');
  const reported = [];
  for (const el of main ? main.querySelectorAll('*') : []) {
    if (!visible(win, el) || el.getBoundingClientRect().right <= right) continue;
    if (reported.some((outer) => outer.contains(el)) || scrolledInside(win, el, main, right)) continue;
    reported.push(el);
    problems.push({
      rule: 'overflow',
      element: describe(el),
      detail: `is ${Math.round(el.getBoundingClientRect().width)} px wide and reaches ` +
        `${Math.round(el.getBoundingClientRect().right)} px, past the window: the page scrolls ` +
        'sideways or cuts it off. Put it in a box that scrolls by itself (overflow-x: auto) ' +
        'or make it narrower',
    });
  }
  // Whatever else widens the page (the menu bar, a wide sidebar) is caught whole.
  for (const page of [doc.documentElement, doc.querySelector('.content')]) {
    if (reported.length === 0 && page && page.scrollWidth > page.clientWidth + 1) {
      problems.push({
        rule: 'overflow',
        element: page === doc.documentElement ? 'html' : 'div.content (the page\'s column)',
        detail: `scrolls sideways: ${page.scrollWidth} px of content in ${page.clientWidth} px`,
      });
    }
  }
  // Code blocks may scroll; they are counted so that the book's own listings can be kept short.
  // mdbook's highlighted `code` inside the `pre` is the box that scrolls.
  for (const pre of doc.querySelectorAll('main pre')) {
    if ([pre, ...pre.children].some((box) => box.scrollWidth > box.clientWidth + 1)) {
      notes.push({ rule: 'code-scrolls', element: describe(pre) });
    }
  }
}

// Whether an ancestor of `el` inside `main` that fits the window scrolls sideways by itself,
// and so holds the overflow. Boxes that clip without scrolling do not count (mdbook's body clips: what
// reaches past it is cut off, out of the reader's reach), except KaTeX's own, which hide the
// struts it lays formulas out with.
function scrolledInside(win, el, main, right) {
  for (let box = el.parentElement; box && box !== main; box = box.parentElement) {
    const overflowX = win.getComputedStyle(box).overflowX;
    const holds = overflowX === 'auto' || overflowX === 'scroll' ||
      (overflowX !== 'visible' && box.closest('.katex'));
    if (holds && box.getBoundingClientRect().right <= right) return true;
  }
  return false;
}

function visible(win, el) {
  const style = win.getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return style.visibility !== 'hidden' && style.display !== 'none' && rect.width > 0;
}

// `main > div.table-wrapper > table` with the start of its text: enough to find it in the page.
function describe(el) {
  const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
    [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
  const path = [];
  for (let e = el; e && e.tagName !== 'BODY' && path.length < 4; e = e.parentElement) {
    path.unshift(name(e));
  }
  const source = el.getAttribute('src');
  const text = source ? `src="${source}"` : `"${el.textContent.trim().slice(0, 40)}"`;
  return `${path.join(' > ')} ${text}`;
}

// ---- SVG figures --------------------------------------------------------------------------

// Each SVG the reader sees (an <img> of one, or one inline in the text) must paint an opaque
// background of its own (a transparent one shows the theme's colour through: black text on
// navy), and its smallest text, as shown at this width, must be at least plan.minTextPx.
async function svgs(win, plan, cache, problems) {
  const doc = win.document;
  const figures = [];
  for (const img of doc.querySelectorAll('main img')) {
    if (/\.svg([?#].*)?$/i.test(img.getAttribute('src') || '')) {
      figures.push({ el: img, key: img.src, source: () => fetchText(img.src) });
    }
  }
  for (const svg of doc.querySelectorAll('main svg')) {
    // KaTeX draws parts of symbols (roots, arrows) and mdbook its buttons' icons as SVG.
    if (svg.closest('.katex, button, .buttons') || svg.parentElement.closest('svg')) continue;
    figures.push({ el: svg, key: null, source: async () => new win.XMLSerializer().serializeToString(svg) });
  }
  for (const figure of figures) {
    const facts = figure.key && cache.has(figure.key)
      ? cache.get(figure.key)
      : await measure(await figure.source());
    if (figure.key) cache.set(figure.key, facts);
    const element = describe(figure.el);
    if (facts.transparent) {
      problems.push({
        rule: 'svg-background',
        element,
        detail: `${facts.transparent} of its pixels are not opaque: give it a background ` +
          '(a full-size <rect> filled white first), or it is unreadable in the dark themes',
      });
    }
    const shown = figure.el.getBoundingClientRect().width;
    if (facts.smallest && facts.width > 0 && shown > 0) {
      const px = facts.smallest.size * shown / facts.width;
      if (px < plan.minTextPx - 0.05) {
        problems.push({
          rule: 'svg-text',
          element,
          detail: `its smallest text ("${facts.smallest.text}") is ${px.toFixed(1)} px as shown ` +
            `(${facts.smallest.size.toFixed(1)} units, drawn ${Math.round(facts.width)} wide, ` +
            `shown ${Math.round(shown)} px wide); at least ${plan.minTextPx} px is legible: draw ` +
            'it at the width it is shown at, with larger text',
        });
      }
    }
  }
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

// The SVG's drawn width (its viewBox, else its width), its smallest text (computed in the
// SVG's own units, inherited sizes included) and how many of its pixels are not opaque.
async function measure(source) {
  const holder = document.createElement('div');
  holder.style.cssText = 'position:absolute;left:-20000px;top:0;';
  holder.innerHTML = source.replace(/^\s*<\?xml[^>]*\?>/, '');
  document.body.append(holder);
  const svg = holder.querySelector('svg');
  let width = 0;
  let smallest = null;
  if (svg) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    width = box && box.width > 0 ? box.width : svg.getBoundingClientRect().width;
    for (const text of svg.querySelectorAll('text, tspan')) {
      const own = [...text.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent).join('').trim();
      if (!own) continue;
      const size = parseFloat(getComputedStyle(text).fontSize);
      if (!smallest || size < smallest.size) smallest = { size, text: own.slice(0, 30) };
    }
  }
  holder.remove();
  return { width, smallest, transparent: await transparentPixels(source) };
}

// Draws the SVG on a transparent canvas at twice its size and counts pixels with alpha < 255,
// but for a ring one CSS px wide at the edges, where a background drawn at fractional
// coordinates (Graphviz's, in pt) is anti-aliased.
async function transparentPixels(source) {
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const [w, h] = [img.naturalWidth || 300, img.naturalHeight || 150];
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [w * 2, h * 2];
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const ring = 2;
    let count = 0;
    for (let y = ring; y < canvas.height - ring; y += 1) {
      for (let x = ring; x < canvas.width - ring; x += 1) {
        if (pixels[4 * (y * canvas.width + x) + 3] < 255) count += 1;
      }
    }
    return count === 0 ? 0 : `${(100 * count / (canvas.width * canvas.height)).toFixed(1)}%`;
  } finally {
    URL.revokeObjectURL(url);
  }
}

main().catch((error) => fetch(REPORT, {
  method: 'POST',
  body: JSON.stringify({ error: String(error && error.stack || error) }),
}));
