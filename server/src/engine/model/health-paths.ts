import vocabulary from '../../../data/phi-vocabulary.json';
import { isFhirPhiResource, isFhirResourceName } from '../phi/phi-classifier';
import type { HealthPathInfo } from './api-model';

const fhirRegexes = vocabulary.fhirResources.pathRegexes;
const FHIR_OPERATION = new RegExp(fhirRegexes.operation);
const FHIR_COMPARTMENT = new RegExp(fhirRegexes.compartment);
const FHIR_INSTANCE = new RegExp(fhirRegexes.resourceInstance);
const FHIR_TYPE_SEARCH = new RegExp(fhirRegexes.typeSearch);
const DICOMWEB = new RegExp(vocabulary.dicomweb.pathRegex, 'i');
const FHIR_REGEXES = [FHIR_COMPARTMENT, FHIR_INSTANCE, FHIR_TYPE_SEARCH];
/** FHIR operations that return or accept patient data; terminology operations ($expand, $lookup...) do not. */
const PHI_FHIR_OPERATIONS = new Set(
  Object.keys(vocabulary.fhirResources.operations)
    .filter((name) => name.startsWith('$'))
    .map((name) => name.slice(1)),
);

/** Path templates use `{id}`; FHIR regexes expect a concrete-looking segment, which `{id}` satisfies. */
export function healthPathInfo(path: string): HealthPathInfo {
  const clean = path.replace(/\?.*$/, '').replace(/\/+$/, '');
  // Every FHIR pattern needs a `$` operation or a capitalised resource type: most paths of most APIs have neither.
  const mayBeFhir = clean.includes('$') || /[A-Z]/.test(clean);
  const operation = mayBeFhir ? FHIR_OPERATION.exec(clean) : null;
  if (operation?.groups?.['op']) {
    const op = operation.groups['op'];
    const type = operation.groups['type'];
    if (PHI_FHIR_OPERATIONS.has(op) && (!type || !isFhirResourceName(type) || isFhirPhiResource(type))) {
      return { fhirOperation: '$' + op, ...(type ? { fhirType: type } : {}), carriesPhi: true, description: `FHIR $${op} operation` };
    }
    return { fhirOperation: '$' + op, ...(type ? { fhirType: type } : {}), carriesPhi: false };
  }
  for (const regex of mayBeFhir ? FHIR_REGEXES : []) {
    const type = regex.exec(clean)?.groups?.['type'];
    if (type && (type === '*' || isFhirResourceName(type))) {
      const phi = type === '*' || isFhirPhiResource(type);
      return { fhirType: type, carriesPhi: phi, ...(phi ? { description: `path names the FHIR ${type} resource` } : {}) };
    }
  }
  // Bare `studies`, `series` and `instances` segments are too common elsewhere (clinical trials' `/studies/{id}`,
  // GitHub's code-scanning `/instances`): the path must also name DICOM, or have DICOMweb's shape below `studies`
  // (a UID parameter, or `series`, `instances`, `metadata`, `rendered`, `bulkdata` under a study).
  const dicomContext =
    /dicom|wado|dcm4chee|(^|\/)rs(\/|$)/i.test(clean) ||
    /(^|\/)studies\/\{[^}]*uid[^}]*\}/i.test(clean) ||
    /(^|\/)studies\/\{[^}]+\}\/(series|instances|metadata|rendered|bulkdata|thumbnail)(\/|$)/i.test(clean);
  if ((DICOMWEB.test(path) && dicomContext) || /(^|\/)wado(\/|$)/i.test(clean) || /[?&]requestType=WADO/i.test(path)) {
    return { dicomweb: true, carriesPhi: true, description: 'DICOMweb path (studies/series/instances carry patient demographics)' };
  }
  return { carriesPhi: false };
}
