package dev.asyncrpc.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.asyncrpc.RemoteCallException;
import dev.asyncrpc.ServerCall;
import dev.asyncrpc.ServerExceptionMapper;
import dev.asyncrpc.Status;
import dev.asyncrpc.spring.RemoteAdvice;
import dev.asyncrpc.spring.RemoteExceptionHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@link ServerExceptionMapper} behind {@link RemoteAdvice} beans: asks each advice in order;
 * within one advice, the {@link RemoteExceptionHandler} method whose exception type is closest to
 * the thrown exception answers.
 */
final class RemoteAdviceExceptionMapper implements ServerExceptionMapper {

    private static final Log logger = LogFactory.getLog(RemoteAdviceExceptionMapper.class);

    private final List<Advice> advices;

    private RemoteAdviceExceptionMapper(List<Advice> advices) {
        this.advices = advices;
    }

    /**
     * A mapper for {@code adviceBeans}, or {@code null} when none has a handler method.
     * @param adviceBeans the advice beans, in order
     * @throws IllegalStateException if a handler method has an unsupported signature
     */
    static @Nullable RemoteAdviceExceptionMapper of(List<Object> adviceBeans) {
        List<Advice> advices = new ArrayList<>();
        for (Object bean : adviceBeans) {
            Advice advice = Advice.of(bean);
            if (!advice.handlers.isEmpty()) {
                advices.add(advice);
            }
        }
        return advices.isEmpty() ? null : new RemoteAdviceExceptionMapper(advices);
    }

    /** The handler methods of every advice, for AOT hints. */
    static List<Method> handlerMethods(Class<?> adviceType) {
        return MethodIntrospector.selectMethods(adviceType,
                (ReflectionUtils.MethodFilter) (m) -> AnnotatedElementUtils.hasAnnotation(m, RemoteExceptionHandler.class))
            .stream()
            .toList();
    }

    @Override
    public @Nullable RemoteCallException map(ServerCall call, Throwable exception) {
        for (Advice advice : this.advices) {
            RemoteCallException mapped = advice.map(call, exception);
            if (mapped != null) {
                return mapped;
            }
        }
        return null;
    }

    /** One advice bean and its handler methods. */
    private record Advice(Object bean, List<Handler> handlers) {

        static Advice of(Object bean) {
            Class<?> type = AopUtils.getTargetClass(bean);
            List<Handler> handlers = new ArrayList<>();
            for (Method method : handlerMethods(type)) {
                handlers.add(Handler.of(method));
            }
            return new Advice(bean, handlers);
        }

        @Nullable RemoteCallException map(ServerCall call, Throwable exception) {
            List<Handler> candidates = new ArrayList<>();
            List<Class<? extends Throwable>> matched = new ArrayList<>();
            for (Handler h : this.handlers) {
                for (Class<? extends Throwable> t : h.types) {
                    if (t.isInstance(exception)) {
                        candidates.add(h);
                        matched.add(t);
                        break;
                    }
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                order.add(i);
            }
            ExceptionDepthComparator depth = new ExceptionDepthComparator(exception);
            order.sort((a, b) -> depth.compare(matched.get(a), matched.get(b)));
            for (int i : order) {
                RemoteCallException mapped = candidates.get(i).invoke(this.bean, call, exception);
                if (mapped != null) {
                    return mapped;
                }
            }
            return null;
        }
    }

    /** One {@link RemoteExceptionHandler} method. */
    private record Handler(Method method, List<Class<? extends Throwable>> types, int exceptionIndex, int callIndex) {

        @SuppressWarnings("unchecked")
        static Handler of(Method method) {
            int exceptionIndex = -1;
            int callIndex = -1;
            Class<?>[] params = method.getParameterTypes();
            for (int i = 0; i < params.length; i++) {
                if (Throwable.class.isAssignableFrom(params[i]) && exceptionIndex < 0) {
                    exceptionIndex = i;
                }
                else if (ServerCall.class.isAssignableFrom(params[i]) && callIndex < 0) {
                    callIndex = i;
                }
                else {
                    throw new IllegalStateException("@RemoteExceptionHandler " + method + ": parameter " + (i + 1) + " of type "
                            + params[i].getName() + " (expected: the exception and optionally the ServerCall)");
                }
            }
            Class<?> returns = method.getReturnType();
            if (returns != RemoteCallException.class && returns != Status.class) {
                throw new IllegalStateException("@RemoteExceptionHandler " + method + ": returns " + returns.getName()
                        + " (expected: RemoteCallException or Status)");
            }
            Class<? extends Throwable>[] declared = AnnotatedElementUtils.findMergedAnnotation(method, RemoteExceptionHandler.class).value();
            List<Class<? extends Throwable>> types;
            if (declared.length > 0) {
                types = Arrays.asList(declared);
            }
            else if (exceptionIndex >= 0) {
                types = List.of((Class<? extends Throwable>) params[exceptionIndex]);
            }
            else {
                throw new IllegalStateException("@RemoteExceptionHandler " + method
                        + ": no exception type (expected: an exception parameter or @RemoteExceptionHandler(SomeException.class))");
            }
            ReflectionUtils.makeAccessible(method);
            return new Handler(method, types, exceptionIndex, callIndex);
        }

        @Nullable RemoteCallException invoke(Object bean, ServerCall call, Throwable exception) {
            @Nullable Object[] args = new Object[this.method.getParameterCount()];
            if (this.exceptionIndex >= 0) {
                if (!this.method.getParameterTypes()[this.exceptionIndex].isInstance(exception)) {
                    return null;
                }
                args[this.exceptionIndex] = exception;
            }
            if (this.callIndex >= 0) {
                args[this.callIndex] = call;
            }
            Object result;
            try {
                result = this.method.invoke(bean, args);
            }
            catch (InvocationTargetException ex) {
                logger.warn("@RemoteExceptionHandler " + this.method + " failed on " + exception.getClass().getName(), ex.getCause());
                return null;
            }
            catch (IllegalAccessException ex) {
                logger.warn("@RemoteExceptionHandler " + this.method + " cannot be called", ex);
                return null;
            }
            if (result instanceof Status status) {
                String message = exception.getMessage();
                return new RemoteCallException(status, (message != null) ? message : exception.getClass().getSimpleName());
            }
            return (RemoteCallException) result;
        }
    }
}
