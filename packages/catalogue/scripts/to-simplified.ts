import OpenCC from 'opencc-js';

// The plan is a Hong Kong/Guangdong government text written to Hong Kong character
// standards, so OpenCC reads it as `hk`; `cn` gives mainland Simplified with mainland
// variants. (On this text `t` → `cn` gives identical output; `hk` states the provenance.)
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });

// Hong Kong writes 著 where the mainland writes 着 (zhuó, "to apply oneself"); OpenCC's
// `hk` dictionary keeps 著 because it is also a valid Simplified character (著作).
// Phrase-level, so 著作 and the like are untouched.
const mainlandPhrases = OpenCC.CustomConverter([['著力', '着力']]);

export function toSimplified(traditional: string): string {
  return mainlandPhrases(hkToCn(traditional));
}
