// LaTeX in titles and abstracts made readable in an email, where no script or web font
// can typeset it: $\alpha \le \sqrt{n}$ becomes "α ≤ √n", x_i^2 becomes "xᵢ²", \'e becomes
// "é". Plain text in, plain text out (the HTML renderer escapes it afterwards); whatever
// is not understood stays as its name without the backslash, never disappears.

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ',
  phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π',
  Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  le: '≤', leq: '≤', ge: '≥', geq: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝',
  ll: '≪', gg: '≫', times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←',
  Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦', in: '∈', notin: '∉', ni: '∋',
  subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖', emptyset: '∅', varnothing: '∅',
  sum: 'Σ', prod: '∏', int: '∫', oint: '∮', partial: '∂', nabla: '∇', forall: '∀', exists: '∃', neg: '¬', land: '∧', lor: '∨',
  wedge: '∧', vee: '∨', oplus: '⊕', otimes: '⊗', circ: '∘', star: '⋆', ast: '∗', dagger: '†', ell: 'ℓ', hbar: 'ħ',
  ldots: '…', dots: '…', cdots: '⋯', vdots: '⋮', langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋',
  mid: '|', vert: '|', Vert: '‖', top: '⊤', perp: '⊥', prime: '′', degree: '°', quad: ' ', qquad: '  ',
  log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', max: 'max', min: 'min', arg: 'arg', det: 'det',
  lim: 'lim', sup: 'sup', inf: 'inf', Pr: 'Pr', softmax: 'softmax', textbackslash: '\\', '%': '%', '&': '&', _: '_', '#': '#',
  $: '$', '{': '{', '}': '}', ',': ' ', ';': ' ', ':': ' ', '!': '', ' ': ' ', left: '', right: '', big: '', Big: '', bigl: '',
  bigr: '', displaystyle: '', textstyle: '', limits: '', nolimits: '', '|': '‖',
};
const BLACKBOARD: Record<string, string> = { R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ', E: '𝔼', P: 'ℙ', F: '𝔽' };
const SUPER: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
  n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', k: 'ᵏ', d: 'ᵈ', t: 'ᵗ', '*': '*', '′': '′',
};
const SUB: Record<string, string> = {
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎',
  i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ', m: 'ₘ', t: 'ₜ', p: 'ₚ', s: 'ₛ', x: 'ₓ', a: 'ₐ', e: 'ₑ', o: 'ₒ', r: 'ᵣ', l: 'ₗ', h: 'ₕ',
};
const ACCENTS: Record<string, string> = { "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', c: '\u0327', v: '\u030c', '=': '\u0304', u: '\u0306' };
const STYLE = /^(?:text|textrm|textit|textbf|texttt|textsf|emph|mathrm|mathit|mathbf|mathsf|mathtt|boldsymbol|bm|operatorname|mbox|hbox|mathcal|mathscr|mathfrak)$/;

const MATH = /(?<!\\)\$\$([\s\S]{1,1000}?)\$\$|(?<!\\)\$((?:\\.|[^$\\]){1,1000}?)\$|\\\(([\s\S]{1,1000}?)\\\)/g;

/** A title or abstract with its LaTeX turned into readable Unicode text. */
export function texToText(s: string): string {
  if (!/[\\$^_{}~]|--/.test(s)) return s;
  const out = s.replace(MATH, (_m, display: string | undefined, inline: string | undefined, paren: string | undefined) =>
    convert(display ?? inline ?? paren ?? '', true));
  return convert(out, false).replace(/\s{2,}/g, ' ').trim();
}

function convert(tex: string, math: boolean): string {
  let s = tex;
  // Accents in text: \'e, \'{e}, {\"o}.
  s = s.replace(/\\(['`^"~=]|[cvu](?=\{))\{?([A-Za-z])\}?/g, (_m, a: string, ch: string) => (ch + ACCENTS[a]!).normalize('NFC'));
  // Links show their text only: a formula is no place for a URL.
  s = s.replace(/\\href\{[^{}]*\}\{([^{}]*)\}/g, '$1').replace(/\\url\{([^{}]*)\}/g, '$1');
  s = s.replace(/\\(?:mathbb|mathbbm|bbm)\{([A-Za-z])\}/g, (_m, ch: string) => BLACKBOARD[ch] ?? ch);
  for (let i = 0; i < 3; i++) {
    s = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => `${group(a)}/${group(b)}`);
    s = s.replace(/\\sqrt\{([^{}]*)\}/g, (_m, a: string) => `√${group(a)}`);
    s = s.replace(/\\([A-Za-z]+)\{([^{}]*)\}/g, (m, name: string, body: string) => (STYLE.test(name) ? body : m));
    s = s.replace(/\\(?:hat|tilde|bar|overline|vec|widehat|widetilde|dot|ddot)\{([^{}]*)\}/g, (_m, a: string) => a);
  }
  s = s.replace(/\\([A-Za-z]+|.)/g, (_m, name: string) => SYMBOLS[name] ?? (STYLE.test(name) ? '' : name));
  if (math) {
    s = s.replace(/\^\{([^{}]*)\}|\^(\\?.)/g, (_m, g: string | undefined, c: string | undefined) => script(g ?? c ?? '', SUPER, '^'));
    s = s.replace(/_\{([^{}]*)\}|_(\\?.)/g, (_m, g: string | undefined, c: string | undefined) => script(g ?? c ?? '', SUB, '_'));
  }
  s = s.replace(/---/g, '—').replace(/--/g, '–').replace(/``|''/g, '"');
  if (!math) s = s.replace(/~/g, ' ');
  return s.replace(/[{}]/g, '');
}

function group(a: string): string {
  const t = a.trim();
  return /^[\w.′]+$/u.test(t) ? t : `(${t})`;
}

/** Unicode super/subscripts when every character has one, else ^(…) or _(…). */
function script(body: string, table: Record<string, string>, mark: string): string {
  const chars = [...body.trim()];
  if (chars.length && chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return chars.length === 1 ? `${mark}${body.trim()}` : `${mark}(${body.trim()})`;
}
