package org.govshare.platform.http;

import static io.vertx.openapi.validation.ValidationContext.REQUEST;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's checks for one operation, with every schema validator built once when the route
 * is bound. vertx-openapi 5.0.7's {@code RequestValidator} builds a validator per parameter per
 * request, copying the contract's whole schema map each time (68 % of CPU on {@code grants/check}),
 * and hops to a worker for every request. Values are taken as Vert.x decoded them, once; a string
 * parameter is the text it is (the library decodes it as JSON, refusing {@code a"b} or {@code \}).
 * Failures are the library's own exceptions, so {@link ProblemHandler} words them as before.
 */
final class OperationValidator {
  // larger bodies are checked on a worker: validation is linear in the body, like parsing
  private static final int INLINE_BODY_BYTES = 64 * 1024;

  private record ParameterRule(Parameter parameter, ParameterTransformer transformer, Validator validator) {}

  private final Operation operation;
  private final List<ParameterRule> parameters;
  private final Map<String, Validator> bodies = new HashMap<>();

  private OperationValidator(Operation operation, List<ParameterRule> parameters) {
    this.operation = operation;
    this.parameters = parameters;
  }

  /** Compiles the operation's parameter and body schemas; fails on a parameter kind it cannot read. */
  static OperationValidator of(OpenAPIContract contract, Operation operation) {
    SchemaRepository schemas = contract.getSchemaRepository();
    List<ParameterRule> rules = operation.getParameters().stream().map(p -> {
      if (p.getSchemaType() == SchemaType.ARRAY || p.getSchemaType() == SchemaType.OBJECT) {
        throw new IllegalStateException(operation.getOperationId() + ": parameter " + p.getName()
            + " is an array or object; only single values are supported");
      }
      ParameterTransformer transformer = switch (p.getIn()) {
        case QUERY -> new FormTransformer();
        case PATH, HEADER -> new SimpleTransformer();
        case COOKIE -> throw new IllegalStateException(operation.getOperationId() + ": cookie parameters are not supported");
      };
      return new ParameterRule(p, transformer, schemas.validator(p.getSchema()));
    }).toList();
    OperationValidator v = new OperationValidator(operation, rules);
    RequestBody body = operation.getRequestBody();
    if (body != null) {
      for (MediaType mediaType : body.getContent().values()) {
        if (needsSchemaCheck(mediaType)) {
          v.bodies.put(mediaType.getIdentifier(), schemas.validator(mediaType.getSchema()));
        }
      }
    }
    return v;
  }

  private static boolean needsSchemaCheck(MediaType mediaType) {
    if (mediaType.getSchema() == null) {
      return false;
    }
    // a bare binary string says nothing to check (as vertx-openapi's BaseValidator)
    String type = mediaType.getSchema().get("type");
    String format = mediaType.getSchema().get("format");
    return !("string".equalsIgnoreCase(type) && "binary".equalsIgnoreCase(format) && mediaType.getSchema().fieldNames().size() == 2);
  }

  Future<Void> validate(Vertx vertx, RoutingContext ctx) {
    try {
      for (ParameterRule rule : parameters) {
        check(rule, raw(ctx, rule.parameter()));
      }
      if (operation.getRequestBody() == null) {
        return Future.succeededFuture();
      }
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      String contentType = ctx.request().getHeader("Content-Type");
      if (body == null || body.length() <= INLINE_BODY_BYTES) {
        checkBody(contentType, body);
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        checkBody(contentType, body);
        return null;
      }, false);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static String raw(RoutingContext ctx, Parameter p) {
    return switch (p.getIn()) {
      case PATH -> ctx.pathParam(p.getName());
      case QUERY -> ctx.queryParams().get(p.getName());
      case HEADER -> ctx.request().getHeader(p.getName());
      case COOKIE -> null;
    };
  }

  private static void check(ParameterRule rule, String raw) {
    Parameter p = rule.parameter();
    if (raw == null) {
      if (p.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(p);
      }
      return;
    }
    Object value = p.getSchemaType() == SchemaType.STRING ? raw : rule.transformer().transform(p, raw);
    OutputUnit result = rule.validator().validate(value);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(p, result, e);
    }
  }

  private void checkBody(String contentType, Buffer body) {
    RequestBody declared = operation.getRequestBody();
    if (body == null || body.length() == 0) {
      if (declared.isRequired()) {
        throw new ValidatorException("The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return;
    }
    MediaType mediaType = declared.determineContentType(contentType);
    ContentAnalyser analyser = mediaType == null ? null : ContentAnalyser.getContentAnalyser(mediaType, contentType, body, REQUEST);
    if (analyser == null) {
      throw new ValidatorException("The format of the request body is not supported", ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    Validator validator = bodies.get(mediaType.getIdentifier());
    if (validator == null) {
      return;
    }
    OutputUnit result = validator.validate(analyser.transform());
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, REQUEST, e);
    }
  }
}
