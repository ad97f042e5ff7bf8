import { join } from 'node:path';
import ts from 'typescript';

// Nest's DI and TypeORM read constructor and property types from decorator metadata; the build uses tsc
// (tools/tsconfig.build.json), so the pinned TypeScript must keep emitting it with our options.
describe('the pinned TypeScript compiler', () => {
  it('emits decorator metadata with the workspace compiler options', () => {
    const root = join(__dirname, '..', '..', '..');
    const { config } = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
    const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
    expect(errors).toEqual([]);
    const source = `
      const Injectable = (): ClassDecorator => () => undefined;
      class Repository {}
      @Injectable() export class Service { constructor(readonly repository: Repository) {} }`;
    const { outputText } = ts.transpileModule(source, { compilerOptions: options });
    expect(outputText).toContain('__metadata("design:paramtypes", [Repository])');
  });
});
