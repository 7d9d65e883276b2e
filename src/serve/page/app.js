// The page's script: builds the form from page.json and runs model.onnx with onnxruntime-web (wasm,
// one thread: threads need cross-origin isolation). window.polyhead.predict(rows) is the same path
// the form uses, so a test can predict many rows in the page and compare them with onnxruntime-node.
import * as ort from './ort/ort.wasm.min.mjs';

ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
ort.env.wasm.numThreads = 1;

const $ = (id) => document.getElementById(id);

function element(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** Raw column tensors [n, 1]: numbers as float32 (null or '' → NaN), everything else as strings (null → ''). */
function feeds(spec, rows) {
  const out = {};
  for (const f of spec.fields) {
    const values = rows.map((r) => r[f.name] ?? null);
    out[f.name] = f.dtype === 'float32'
      ? new ort.Tensor('float32', Float32Array.from(values, (v) => (v === null || v === '' ? NaN : Number(v))), [rows.length, 1])
      : new ort.Tensor('string', values.map((v) => (v === null ? '' : String(v))), [rows.length, 1]);
  }
  return out;
}

async function predict(session, spec, rows) {
  const results = await session.run(feeds(spec, rows));
  const out = {};
  for (const t of spec.tasks) {
    out[t.name] = {
      probabilities: Array.from(results[t.probabilities].data),
      labels: Array.from(results[t.label].data, (v) => (typeof v === 'bigint' ? Number(v) : v)),
    };
  }
  return out;
}

function buildForm(spec, onSubmit) {
  const form = $('form');
  for (const f of spec.fields) {
    let input;
    if (f.kind === 'categorical') {
      input = element('select', { name: f.name }, f.choices.map((c) => element('option', { value: c }, [c])));
    } else if (f.kind === 'numeric') {
      input = element('input', { name: f.name, type: 'number', step: 'any', value: String(f.start) });
    } else {
      input = element('input', { name: f.name, type: 'text' });
    }
    form.append(element('label', {}, [f.name, input]));
  }
  form.append(element('button', { type: 'submit' }, ['Predict']));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const row = {};
    for (const f of spec.fields) row[f.name] = form.elements[f.name].value;
    onSubmit(row);
  });
}

function showResult(spec, prediction) {
  const result = $('result');
  result.replaceChildren();
  for (const t of spec.tasks) {
    const p = prediction[t.name];
    const picked = t.type === 'multilabel' ? t.classes.filter((_c, j) => p.labels[j] === 1) : [p.labels[0]];
    const rows = t.classes.map((c, j) => {
      const prob = p.probabilities[j];
      const bar = element('div', { class: 'bar', style: `width: ${(prob * 12).toFixed(2)}rem` });
      return element('tr', picked.includes(c) ? { class: 'picked' } : {}, [element('td', {}, [c]), element('td', {}, [prob.toFixed(3)]), element('td', {}, [bar])]);
    });
    result.append(element('div', { class: 'task' }, [element('h2', {}, [`${t.name}: ${picked.join(', ') || '(none)'}`]), element('table', {}, rows)]));
  }
}

async function main() {
  const models = await (await fetch('models.json')).json();
  const name = new URLSearchParams(location.search).get('model') ?? models[0];
  if (models.length > 1) $('models').append(...models.map((m) => element('a', { href: `?model=${encodeURIComponent(m)}`, style: 'margin-right: 1rem' }, [m])));
  const spec = await (await fetch(`models/${encodeURIComponent(name)}/page.json`)).json();
  $('title').textContent = `polyhead model: ${spec.name}`;
  const session = await ort.InferenceSession.create(`models/${encodeURIComponent(name)}/model.onnx`);
  const run = (rows) => predict(session, spec, rows);
  buildForm(spec, async (row) => {
    try {
      showResult(spec, await run([row]));
      $('status').textContent = 'predicted in the browser';
    } catch (err) {
      $('status').textContent = `prediction failed: ${err.message}`;
      $('status').className = 'error';
    }
  });
  $('status').textContent = 'ready: fill in the row and press Predict';
  window.polyhead = { spec, predict: run };
}

window.polyheadReady = main().catch((err) => {
  $('status').textContent = `the model could not be loaded: ${err.message}`;
  $('status').className = 'error';
  throw err;
});
