import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import vocabulary from '../../server/data/phi-vocabulary.json';
import { classifyName, declaredClassification, isDicomPhiQueryKey, isFhirPhiResource, isFhirSearchParamCarryingPhi, isPersonScoped, nameTokens } from '../../server/src/engine/phi/phi-classifier';
import { classifyExampleValue, isValidKvnr } from '../../rules/openapi/phi-value-patterns';
import { lintWithRules } from '../harness/lint-for-test';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('PHI classifier', () => {
  describe('false-positive traps of phi-vocabulary.json', () => {
    for (const trap of vocabulary.falsePositiveTraps) {
      const name = trap.name.split(' ')[0]!;
      it(`'${name}' is not PHI, even in a person-scoped schema (${trap.resembles})`, () => {
        assert.equal(classifyName(name, true), undefined, `${name}: ${trap.why}`);
      });
    }
  });

  describe('name forms', () => {
    const cases: [string, string][] = [
      ['birthDate', 'dates'],
      ['birth_date', 'dates'],
      ['BIRTH-DATE', 'dates'],
      ['patientBirthDate', 'dates'],
      ['patient.birth.date', 'dates'],
      ['Geburtsdatum', 'dates'],
      ['geburtsdatum', 'dates'],
      ['Krankenversichertennummer', 'insurance-financial'],
      ['krankenversichertennummer', 'insurance-financial'],
      ['SpO2', 'wearable-vital'],
      ['spo2_value', 'wearable-vital'],
      ['hbA1cValue', 'lab-result'],
      ['HBA1C', 'lab-result'],
      ['ssn', 'government-id'],
      ['nhs-number', 'health-record-id'],
      ['Körpergewicht', 'wearable-vital'],
    ];
    for (const [name, category] of cases) {
      it(`'${name}' matches ${category}`, () => {
        assert.equal(classifyName(name, false)?.category, category);
      });
    }

    it('German umlauts are folded (Geschlechtsidentität)', () => {
      assert.equal(classifyName('Geschlechtsidentität', false)?.category, 'sexual-reproductive');
      assert.deepEqual(nameTokens('Größe_in_cm'), ['groesse', 'in', 'cm']);
    });

    for (const name of ['usage', 'sessionId', 'latency', 'storageClass', 'pageSize', 'messageId', 'statusCode', 'createdAt']) {
      it(`'${name}' is not PHI (no raw substring matching)`, () => {
        assert.equal(classifyName(name, true), undefined);
        assert.equal(classifyName(name, false), undefined);
      });
    }

    it('splits lower-case names at separators only, and mixed-case names at case boundaries too', () => {
      assert.deepEqual(nameTokens('created_at'), ['created', 'at']);
      assert.deepEqual(nameTokens('x-rate-limit.remaining'), ['x', 'rate', 'limit', 'remaining']);
      assert.deepEqual(nameTokens('__date__of__birth'), ['date', 'of', 'birth']);
      assert.deepEqual(nameTokens('dob2'), ['dob2']);
      assert.deepEqual(nameTokens(''), []);
      assert.deepEqual(nameTokens('HTMLParser'), ['html', 'parser']);
      assert.deepEqual(nameTokens('patient_BirthDate'), ['patient', 'birth', 'date']);
    });

    it('letters stay joined to digits: spo2 is one token, icd10 too', () => {
      assert.deepEqual(nameTokens('SpO2'), ['sp', 'o2']);
      assert.deepEqual(nameTokens('icd10Code'), ['icd10', 'code']);
    });

    it('aggregates count things, not people: symptoms_count is not PHI, stepCount is', () => {
      assert.equal(classifyName('symptoms_count', true), undefined);
      assert.equal(classifyName('stepCount', false)?.category, 'wearable-vital');
    });
  });

  describe('context terms only in person scope', () => {
    for (const name of ['gender', 'city', 'patientId', 'name', 'weight', 'address']) {
      it(`'${name}' is PHI only in a person-scoped schema or path`, () => {
        assert.equal(classifyName(name, false), undefined);
        assert.ok(classifyName(name, true), `${name} should match in person scope`);
      });
    }

    it('a qualified name names something else: dataTypeName, repo_name, secret_name', () => {
      for (const name of ['dataTypeName', 'repo_name', 'secret_name', 'subject_name_substring', 'jobTitle']) assert.equal(classifyName(name, true), undefined, name);
      for (const name of ['contactName', 'member_name', 'patient_full_name']) assert.ok(classifyName(name, true), name);
    });

    it('person scope comes from schema and path names and FHIR PHI types', () => {
      assert.ok(isPersonScoped(['Patient']));
      assert.ok(isPersonScoped(['members', '{memberId}']));
      assert.ok(isPersonScoped(['Observation']));
      assert.ok(!isPersonScoped(['Organization']));
      assert.ok(!isPersonScoped(['pharmacies', '{id}']));
    });
  });

  describe('declared classification', () => {
    it('x-phi and x-pii mark PHI; x-phi: false marks public', () => {
      assert.equal(declaredClassification({ 'x-phi': true }), 'phi');
      assert.equal(declaredClassification({ 'x-pii': true }), 'phi');
      assert.equal(declaredClassification({ 'x-phi': false }), 'public');
      assert.equal(declaredClassification({ type: 'string' }), undefined);
    });

    it('x-data-classification values', () => {
      for (const value of ['phi', 'PII', 'ePHI', 'sensitive', 'restricted', 'confidential', 'health']) assert.equal(declaredClassification({ 'x-data-classification': value }), 'phi', value);
      for (const value of ['public', 'none', 'non-phi']) assert.equal(declaredClassification({ 'x-data-classification': value }), 'public', value);
      assert.equal(declaredClassification({ 'x-data-classification': 'internal' }), undefined);
    });
  });

  describe('FHIR and DICOM helpers', () => {
    it('PHI resources, search parameters and QIDO keys', () => {
      assert.ok(isFhirPhiResource('Patient'));
      assert.ok(!isFhirPhiResource('ValueSet'));
      assert.ok(isFhirSearchParamCarryingPhi('birthdate'));
      assert.ok(isFhirSearchParamCarryingPhi('family:exact'));
      assert.ok(!isFhirSearchParamCarryingPhi('_count'));
      assert.ok(isDicomPhiQueryKey('PatientName'));
      assert.ok(isDicomPhiQueryKey('00100010'));
      assert.ok(!isDicomPhiQueryKey('ModalitiesInStudy'));
    });
  });
});

describe('PHI value patterns (phi-in-example)', () => {
  const none = { ssn: false, birth: false };

  it('KVNR check digit: letter as 01-26, weights 1-2-1-2, cross sums, mod 10', () => {
    assert.ok(isValidKvnr('A123456780'));
    assert.ok(isValidKvnr('T543719205'));
    assert.ok(!isValidKvnr('T543719204'));
    assert.ok(!isValidKvnr('t543719205'));
    assert.ok(!isValidKvnr('T54371920'));
  });

  it('recognises real-looking identifiers and skips placeholders', () => {
    assert.equal(classifyExampleValue('536-22-8891', none)?.kind, 'ssn');
    assert.equal(classifyExampleValue('666-22-8891', none), undefined);
    assert.equal(classifyExampleValue('123-45-6789', none), undefined);
    assert.equal(classifyExampleValue('536228891', none), undefined);
    assert.equal(classifyExampleValue('536228891', { ssn: true, birth: false })?.kind, 'ssn');
    assert.equal(classifyExampleValue('2AC3-HJ4-KM57', none)?.kind, 'mbi');
    assert.equal(classifyExampleValue('1EG4-TE5-MK73', none), undefined);
    assert.equal(classifyExampleValue('m.keller@clinic-mail.de', none)?.kind, 'email');
    for (const email of ['jane@example.org', 'x@api.example.com', 'a@b.test', 'support@clinic-mail.de', 'git@github.com:octocat/Hello-World.git', 'john.doe@gmail.com']) {
      assert.equal(classifyExampleValue(email, none), undefined, email);
    }
    assert.equal(classifyExampleValue('dev@api.vendor.io', none, new Set(['vendor.io'])), undefined);
    assert.equal(classifyExampleValue('+49 151 4829 3317', none)?.kind, 'phone');
    assert.equal(classifyExampleValue('+1 212 555 0142', none), undefined);
    assert.equal(classifyExampleValue('+91-9999999999', none), undefined);
    assert.equal(classifyExampleValue('1984-03-12', none), undefined);
    assert.equal(classifyExampleValue('1984-03-12', { ssn: false, birth: true })?.kind, 'birth-date');
    assert.equal(classifyExampleValue('2025-10-15T13:51:10.887Z', { ssn: false, birth: true }), undefined);
  });
});

describe('PHI rules: related locations across files', () => {
  it('phi-response-unauthenticated points at the fields in the referenced schema file', async () => {
    const root = path.join(repoRoot, 'test', 'fixtures', 'phi-response-unauthenticated', 'multi-file', 'root.yaml');
    const result = await lintWithRules(root, ['phi-response-unauthenticated']);
    const finding = result.findings.find((candidate) => candidate.ruleId === 'phi-response-unauthenticated');
    assert.ok(finding, 'no finding');
    assert.equal(finding.uri, root);
    assert.ok(finding.related.length >= 2);
    for (const related of finding.related) assert.ok(related.uri.endsWith(path.join('schemas', 'member.yaml')), related.uri);
    assert.ok(finding.related.some((related) => related.message.includes("'mbi'")));
  });
});
