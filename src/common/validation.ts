import { ValidationError, ValidationPipe } from '@nestjs/common';
import { inputInvalid } from './errors';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      // class-validator phrases messages with the bare property name; name the full path.
      m.startsWith(e.property) ? `${field}${m.slice(e.property.length)}` : `${field}: ${m}`,
    );
    return [...own, ...describe(e.children ?? [], field)];
  });
}

/** Global DTO validation: unknown fields are refused and every offending field is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => inputInvalid(`Invalid input: ${describe(errors).join('; ')}.`),
  });
}
