// Every lint check, in the order they run. Adding a check is one object in a module of checks/ and
// one line here; its code is its stable name (for --disable, the disable comments, SARIF rules).
import type { LintCheck } from '../check.js';
import { embeddedLocalUnchecked, embeddedVersionSkipped } from './embedded.js';
import { compressionDeclaredGzip, nmKeyfileMode, overwriteFalseShipped, secretWorldReadable } from './files.js';
import { jsonKeyCaseFix } from './json.js';
import { httpUnverified, remoteNoHash } from './remote.js';
import { dropinUnknownUnit, quadletEmpty, unitEnabledNoInstall, unitNamePath } from './systemd.js';
import { openshiftFcosChecksHidden, openshiftRawUnfiltered, rootConstrainedFalsePositive } from './variants.js';
import * as yaml from './yaml.js';

export const CHECKS: readonly LintCheck[] = [
  nmKeyfileMode,
  unitEnabledNoInstall,
  dropinUnknownUnit,
  overwriteFalseShipped,
  secretWorldReadable,
  remoteNoHash,
  httpUnverified,
  unitNamePath,
  yaml.yamlExtraDocument,
  yaml.yamlNullListItem,
  yaml.yamlNullSection,
  yaml.yamlAliasObject,
  yaml.yamlMergeKey,
  embeddedLocalUnchecked,
  embeddedVersionSkipped,
  openshiftRawUnfiltered,
  openshiftFcosChecksHidden,
  rootConstrainedFalsePositive,
  yaml.treeDecimalMode,
  yaml.yamlBoolQuoted,
  yaml.yamlIntFraction,
  compressionDeclaredGzip,
  quadletEmpty,
  // Fixes for what Butane itself reports.
  yaml.decimalModeFix,
  yaml.quotedModeFix,
  yaml.keyCaseFix,
  jsonKeyCaseFix,
];

/** The codes lint reports (fix-only entries share the code of the Butane diagnostic they fix). */
export const LINT_CODES: readonly string[] = CHECKS.filter((c) => !c.fixOnly).map((c) => c.code);
