// LaTeX in emails: readable Unicode, nothing lost, nothing executable.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { texToText } from './tex.js';

test('formulas become readable text', () => {
  assert.equal(texToText('Bounds on $O(n \\log n)$ sorting with $\\alpha$-approximations'), 'Bounds on O(n log n) sorting with α-approximations');
  assert.equal(texToText('$\\sum_{i=1}^n x_i \\le \\sqrt{n}$'), 'Σᵢ₌₁ⁿ xᵢ ≤ √n');
  assert.equal(texToText('$f: \\mathbb{R}^n \\to \\mathbb{R}$, $\\frac{1}{2}$, $\\mathcal{O}(\\epsilon^{-2})$'), 'f: ℝⁿ → ℝ, 1/2, O(ε⁻²)');
  assert.equal(texToText('Schr\\"odinger and H\\"{o}lder --- 5\\% of $x^{ab}$'), 'Schrödinger and Hölder — 5% of x^(ab)');
  assert.equal(texToText('plain text stays as it is.'), 'plain text stays as it is.');
});

test('links in formulas keep only their text; markup stays text for the HTML escaper', () => {
  assert.equal(texToText('Also $\\href{javascript:alert(1)}{click}$.'), 'Also click.');
  assert.equal(texToText('$<img src=x onerror=alert(1)>$'), '<img src=x onerror=alert(1)>');
  assert.equal(texToText('an \\unknowncommand{x} stays'), 'an unknowncommandx stays');
});
