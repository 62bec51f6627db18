// dom.js: element construction without HTML strings (the CSP forbids inline
// script and style; building nodes also keeps user text out of the parser).

// h('tag.class1.class2', {attr: value, on: {click: fn}}, ...children)
export function h(spec, attrs, ...children) {
	const [tag, ...classes] = spec.split('.');
	const el = document.createElement(tag || 'div');
	if (classes.length)
		el.className = classes.join(' ');
	if (attrs != null && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
		children.unshift(attrs);
		attrs = null;
	}
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v == null || v === false)
			continue;
		if (k === 'on') {
			for (const [ev, fn] of Object.entries(v))
				el.addEventListener(ev, fn);
		} else if (k === 'class') {
			el.className = [el.className, v].filter(Boolean).join(' ');
		} else if (k === 'text') {
			el.textContent = v;
		} else if (k === 'dataset') {
			Object.assign(el.dataset, v);
		} else if (k === 'for') {
			el.htmlFor = v;
		} else if (k === 'value' && 'value' in el) {
			el.value = v;
		} else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' ||
		    k === 'required' || k === 'readOnly' || k === 'multiple') {
			el[k] = !!v;
		} else if (v === true) {
			el.setAttribute(k, '');
		} else {
			el.setAttribute(k, String(v));
		}
	}
	append(el, children);
	return el;
}

export function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c == null || c === false)
			continue;
		el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild)
		el.removeChild(el.firstChild);
	return el;
}

let uid = 0;
export function newId(prefix = 'f') {
	return `${prefix}-${++uid}`;
}

// The id attribute a dotted API field path maps to ("form.tlp" -> "fld-form-tlp").
export function fieldId(path) {
	return 'fld-' + path.replace(/[^A-Za-z0-9_-]+/g, '-');
}
