import { esc, html, raw } from './html';

describe('html', () => {
  it('escapes every interpolation for text and attribute context, unless it is raw()', () => {
    const name = `<img src=x onerror="alert('1')">&\``;
    expect(html`<p title="${name}">${name}</p>${raw('<br>')}`.toString()).toBe(
      '<p title="&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;&#96;">&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;&#96;</p><br>',
    );
    expect(esc(null)).toBe('');
  });

  it('joins arrays, nests templates, and renders null, undefined and false as nothing (0 stays)', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.toString()).toBe('<ul><li>a&#60;</li><li>b</li></ul>0');
  });
});
