/**
 * Cost and the budget gate, end to end: the built CLI against the emulator's own v2 product
 * list. Expected figures are computed from the catalogue the emulator serves, not typed in.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, expectExit, JOURNAL, lastLine, replaceOnce, specWithMaxNum, stopRunningWorlds, World } from './helpers.js';

afterEach(stopRunningWorlds);

/** Price per GPU-hour of a product, as a client reads the emulator's v2 list. */
async function servedPrice(world: World, productId: string): Promise<number> {
  const response = await fetch(`${world.emulator.url}/gpus/v2/products?type=gpu&category=serverless`, { headers: { authorization: 'Bearer k' } });
  const body = (await response.json()) as { data: { id: string; pricing: { precision: number; postpaid: { final_price: number } } }[] };
  const product = body.data.find((candidate) => candidate.id === productId)!;
  return product.pricing.postpaid.final_price / 10 ** product.pricing.precision;
}

const money = (value: number) => `$${value.toFixed(2)}`;
/** Figures are reported to a millionth, which removes binary-fraction noise. */
const exact = (value: number) => Math.round(value * 1e6) / 1e6;
const mutations = (world: World) => world.emulator.requestLog.filter((entry) => entry.method === 'POST').length;

describe('cost in an online plan', () => {
  it('a maxNum change shows the exact ceiling delta, and the budget gate stops plan and apply before any change', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    world.write('endpoints/a.yaml', specWithMaxNum('alpha', 20));
    const price = await servedPrice(world, '1');

    const json = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);
    const expected = { currency: 'USD', floor: [0, 0], ceiling: [exact(4 * price), exact(20 * price)] };
    expect(json.changes[0].cost).toEqual(expected);
    expect(json.summary.cost).toEqual(expected);
    const text = expectExit(await world.cli(['plan']), 0).stdout;
    expect(text).toContain(`# cost: floor $0.00/h, ceiling ${money(4 * price)}/h → ${money(20 * price)}/h`);
    expect(text).toContain(`Cost estimate, all managed endpoints: floor $0.00/h, ceiling ${money(4 * price)}/h → ${money(20 * price)}/h.`);
    expect(lastLine(text)).toBe('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');

    // Over budget: plan fails after showing itself, apply refuses before any change.
    const budget = String(19 * price);
    const before = mutations(world);
    const plan = expectExit(await world.cli(['plan', '--max-hourly-cost', budget]), 1);
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to update');
    expect(plan.stderr).toMatch(/Over budget: .*exceeds the budget .*the largest: alpha \(/);
    const apply = expectExit(await world.cli(['apply', '--auto-approve', '--max-hourly-cost', budget]), 1);
    expect(apply.stderr).toContain('Over budget');
    world.write('ppio.config.yaml', `maxHourlyCost: ${budget}\n`);
    expectExit(await world.cli(['apply', '--auto-approve']), 1);
    expect(mutations(world)).toBe(before);
    expect((await world.liveByAppName('alpha'))[0]!.workerConfig['maxNum']).toBe(4);

    // Under budget (the flag wins over the config): both go ahead.
    expectExit(await world.cli(['plan', '--max-hourly-cost', String(20 * price)]), 0);
    expectExit(await world.cli(['apply', '--auto-approve', '--max-hourly-cost', String(20 * price)]), 0);
    expect((await world.liveByAppName('alpha'))[0]!.workerConfig['maxNum']).toBe(20);
  });

  it('an auto-approved apply over budget shows the plan, then refuses, and records no create intent', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const lockfileBefore = world.lockfileText();
    const before = mutations(world);
    world.write('endpoints/b.yaml', basicSpecYaml('beta'));

    const apply = expectExit(await world.cli(['apply', '--auto-approve', '--max-hourly-cost', '0']), 1);

    expect(apply.stdout).toMatch(/\+ create beta/);
    expect(apply.stderr).toMatch(/^Error: Over budget: /);
    expect(world.lockfileText()).toBe(lockfileBefore);
    expect(world.exists(JOURNAL)).toBe(false);
    expect(mutations(world)).toBe(before);
  });

  it('a product change shows the price change, in the PR comment too', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': replaceOnce(basicSpecYaml('alpha'), 'minNum: 0', 'minNum: 1') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    world.write('endpoints/a.yaml', replaceOnce(replaceOnce(basicSpecYaml('alpha'), 'minNum: 0', 'minNum: 1'), 'id: "1"', 'id: "4"'));
    const [cheap, dear] = [await servedPrice(world, '1'), await servedPrice(world, '4')];

    const json = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);
    expect(json.changes[0]).toMatchObject({ action: 'replace', cost: { floor: [cheap, dear], ceiling: [exact(4 * cheap), exact(4 * dear)] } });
    const markdown = expectExit(await world.cli(['plan', '--format', 'markdown']), 0).stdout;
    const cell = (a: number, b: number) => `\\${money(a)}/h → \\${money(b)}/h`;
    expect(markdown).toContain(`| alpha | ${cell(cheap, dear)} | ${cell(4 * cheap, 4 * dear)} |`);
    expect(markdown).toContain(`| **All managed endpoints** | ${cell(cheap, dear)} | ${cell(4 * cheap, 4 * dear)} |`);
  });

  it('an environment has its own budget, over the top-level one', async () => {
    const config = 'maxHourlyCost: 100\nenvironments:\n  staging:\n    maxHourlyCost: 1\n  prod: {}\n';
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'ppio.config.yaml': config } });
    expect(expectExit(await world.cli(['plan', '--env', 'staging']), 1).stderr).toContain('exceeds the budget of 1.00 USD/h');
    expectExit(await world.cli(['plan', '--env', 'prod']), 0);
    expectExit(await world.cli(['plan', '--env', 'staging', '--max-hourly-cost', '100']), 0);
  });

  it('a bad budget is a flag error before any API call', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    for (const bad of ['-1', 'ten', '']) {
      const result = expectExit(await world.cli(['plan', `--max-hourly-cost=${bad}`]), 1);
      expect(result.stderr).toContain(`--max-hourly-cost must be a number of currency units per hour, 0 or more (got "${bad}")`);
    }
    expect(world.emulator.requestLog).toEqual([]);
  });
});

describe('when the cost cannot be known', () => {
  it('a base URL without the product list gives "cost unknown" and the usual exit codes', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') }, emulator: { serveProductList: false } });

    const text = expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);
    expect(text.stdout).toMatch(/^Cost: unknown \(the serverless product list \(GET \/gpus\/v2\/products\) could not be read: .*\)\.$/m);
    expect(text.stderr).toMatch(/endpoints\/a\.yaml:\d+:\d+ {2}warning {2}catalogue-unavailable {2}products, prices and stock not checked/);
    const json = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);
    expect(json.summary.cost).toBeNull();
    expect(json.changes[0]).not.toHaveProperty('cost');
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expectExit(await world.cli(['validate', '--remote']), 0);
    // A budget nobody can check is not kept.
    expect(expectExit(await world.cli(['plan', '--max-hourly-cost', '1000']), 1).stderr).toContain('cannot be checked');
  });

  it('an offline plan says so, and only warns about a budget', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'ppio.config.yaml': 'maxHourlyCost: 1\n' } });
    const result = expectExit(await world.cli(['plan', '--offline']), 0);
    expect(result.stdout).toContain('Cost: unknown (an offline plan does not read the product catalogue).');
    expect(result.stderr).toContain('warning: the hourly budget was not checked');
  });

  it('a sold-out or low product of the served catalogue is a warning, and prices follow the catalogue', async () => {
    const products = [
      { id: '1', name: 'RTX 4090 24GB', pricePerGpuHour: 0.5, inventoryState: 'sold_out' },
      { id: '2', name: 'RTX 3090 24GB', pricePerGpuHour: 0.25, inventoryState: 'low' },
    ];
    const files = { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'endpoints/b.yaml': replaceOnce(basicSpecYaml('beta'), 'id: "1"', 'id: "2"') };
    const world = await World.start({ files, emulator: { catalog: { products } } });
    const result = expectExit(await world.cli(['plan']), 0);
    expect(result.stderr).toContain('endpoints/a.yaml:20:9  warning  product-sold-out  product `1` (RTX 4090 24GB) is sold out');
    expect(result.stderr).toContain('endpoints/b.yaml:20:9  warning  product-low-stock  product `2` (RTX 3090 24GB) is low in stock');
    expect(result.stdout).toContain('Cost estimate, all managed endpoints: floor $0.00/h, ceiling $0.00/h → $3.00/h.');
  });

  it('an unknown product id is an error at its line, in plan and validate --remote', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': replaceOnce(basicSpecYaml('alpha'), 'id: "1"', 'id: "SL-serverless-99"') } });
    const plan = expectExit(await world.cli(['plan']), 1);
    expect(plan.stderr).toContain(
      "endpoints/a.yaml:20:9  error  unknown-product  product `SL-serverless-99` is not in this account's serverless catalogue",
    );
    const validate = JSON.parse(expectExit(await world.cli(['validate', '--remote', '--format', 'json']), 1).stdout);
    expect(validate.errors).toEqual([
      expect.objectContaining({ file: 'endpoints/a.yaml', line: 20, column: 9, path: '/products/0/id', rule: 'unknown-product' }),
    ]);
  });
});
